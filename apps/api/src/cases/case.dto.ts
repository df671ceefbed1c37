import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { CASE_STATES } from '@app/domain';

export class CreateCaseDto {
  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300, { message: 'title must be at most 300 characters long' })
  title?: string;
  @ApiPropertyOptional({ description: 'Questionnaire answers (partial while a draft)', type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject({ message: 'answers must be a JSON object' })
  answers?: Record<string, unknown>;
}

export class UpdateCaseDto extends CreateCaseDto {
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
}

export class ListCasesQuery {
  @ApiPropertyOptional({ description: `Comma-separated states: ${CASE_STATES.join(', ')}` }) @IsOptional() @IsString() state?: string;
  @ApiPropertyOptional({ description: 'true: only cases I own' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'mine must be true or false' })
  mine?: string;
  @ApiPropertyOptional({ description: '"me", "none" or a user id' }) @IsOptional() @IsString() assignee?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'department must be a department id' }) department?: string;
  @ApiPropertyOptional({ description: 'Text search over reference, title and partner names' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional({ enum: ['created', 'updated', 'age', 'due'], description: 'due: SLA due date, soonest first (cases whose clock runs)' })
  @IsOptional()
  @IsIn(['created', 'updated', 'age', 'due'], { message: 'sort must be created, updated, age or due' })
  sort?: 'created' | 'updated' | 'age' | 'due';
  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(100)
  limit?: number;
  @ApiPropertyOptional({ enum: ['on_track', 'at_risk', 'breached', 'paused'], description: 'Service level of the stage the case is in' })
  @IsOptional()
  @IsIn(['on_track', 'at_risk', 'breached', 'paused'], { message: 'sla must be on_track, at_risk, breached or paused' })
  sla?: 'on_track' | 'at_risk' | 'breached' | 'paused';
  @ApiPropertyOptional({ description: 'nextCursor from the previous page' }) @IsOptional() @IsString() @MaxLength(1000) cursor?: string;
}

export class NoteDto {
  @ApiProperty({ maxLength: 10000 }) @IsString() @MinLength(1, { message: 'body must not be empty' }) @MaxLength(10000) body: string;
  @ApiProperty({ enum: ['internal', 'researcher'], description: 'internal: staff only; researcher: a message the researcher sees' })
  @IsIn(['internal', 'researcher'], { message: 'visibility must be internal or researcher' })
  visibility: 'internal' | 'researcher';
}
