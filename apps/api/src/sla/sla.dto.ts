import { IsCalendarDate } from '../common/input-guard';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LADDER_AUDIENCES } from '@app/domain';

const DURATION_HELP = 'ISO-8601 elapsed time (PT30S, P2D) or working time (3wd, 4wh, 30wm)';

export class LadderStepDto {
  @ApiProperty({ enum: ['reminder', 'escalation'] }) @IsIn(['reminder', 'escalation'], { message: 'type must be reminder or escalation' }) type:
    'reminder' | 'escalation';
  @ApiProperty({ description: 'percent of the target', minimum: 0, maximum: 1000 })
  @Min(0)
  @Max(1000)
  @IsNumber({}, { message: 'at must be a number (percent of the target)' })
  at: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: `added after "at": ${DURATION_HELP}` }) @IsOptional() @IsString() @MaxLength(40) plus?:
    string | null;
  @ApiProperty({ enum: LADDER_AUDIENCES })
  @IsIn(LADDER_AUDIENCES, { message: `to must be one of ${LADDER_AUDIENCES.join(', ')}` })
  to: (typeof LADDER_AUDIENCES)[number];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'timer kind (names the reminder in emails)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  kind?: string | null;
}

export class SlaPolicyDto {
  @ApiProperty({ description: DURATION_HELP, example: '3wd' }) @IsString() @MinLength(1) @MaxLength(40) target: string;
  @ApiPropertyOptional({ description: 'percent of the target from which the case is at risk', default: 80 })
  @IsOptional()
  @Min(1)
  @Max(100)
  @IsInt({ message: 'atRiskAt must be a whole percentage' })
  atRiskAt?: number;
  @ApiProperty({ type: [LadderStepDto] }) @ValidateNested({ each: true }) @Type(() => LadderStepDto) @ArrayMaxSize(20) @IsArray() ladder: LadderStepDto[];
}

export class SlaSettingsDto {
  @ApiProperty({ type: [Number], example: [1, 2, 3, 4, 5], description: 'ISO weekdays: 1 Monday … 7 Sunday' })
  @IsInt({ each: true })
  @ArrayMaxSize(7)
  @IsArray()
  days: number[];
  @ApiProperty({ example: '09:00' }) @Matches(/^\d\d:\d\d$/, { message: 'opens must be HH:mm' }) opens: string;
  @ApiProperty({ example: '17:00' }) @Matches(/^\d\d:\d\d$/, { message: 'closes must be HH:mm' }) closes: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) @IsOptional() @IsUUID('all') headOfOfficeUserId?: string | null;
  @ApiPropertyOptional({ type: [String], example: ['5wd', '2wd'], description: 'reminders to the researcher this long before the reply is due' })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(10)
  @IsArray()
  informationReminders?: string[];
}

export class ClosureDayDto {
  @ApiProperty({ example: '2026-12-29' }) @IsCalendarDate('day') day: string;
  @ApiProperty({ example: 'Christmas closure' }) @IsString() @MinLength(1) @MaxLength(200) description: string;
}
