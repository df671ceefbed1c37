import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { SCREENING_LIST_KINDS, ScreeningListKind } from '@app/domain';

const CADENCE = { min: 1, max: 527_040 };
const LOCATION =
  'A file in the import folder (SCREENING_IMPORT_DIR; a path relative to it, or absolute inside it) or an https address on a publisher host of SCREENING_SOURCE_HOSTS; none: uploads only';

/** A list source: where the worker reads the list and how often. */
export class CreateScreeningSourceDto {
  @ApiProperty({ maxLength: 200, example: 'Canadian Named Research Organizations' })
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters long' })
  name: string;

  @ApiProperty({ enum: SCREENING_LIST_KINDS, description: 'The list format family; custom lists with their own ratings are watch_list' })
  @IsIn([...SCREENING_LIST_KINDS], { message: `listKind must be one of ${SCREENING_LIST_KINDS.join(', ')}` })
  listKind: ScreeningListKind;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, description: LOCATION })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString({ message: 'location must be a string' })
  @MinLength(1, { message: 'location must not be empty' })
  @MaxLength(2000, { message: 'location must be at most 2000 characters long' })
  location?: string | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: CADENCE.min,
    maximum: CADENCE.max,
    description: 'Minutes between scheduled imports (1440: daily); none: imported by hand only',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt({ message: 'cadenceMinutes must be a whole number of minutes' })
  @Min(CADENCE.min, { message: 'cadenceMinutes must be at least 1' })
  @Max(CADENCE.max, { message: 'cadenceMinutes must be at most 527040 (a year)' })
  cadenceMinutes?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, description: "The publisher's page the list comes from" })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString({ message: 'publisherUrl must be a string' })
  @Matches(/^https?:\/\/\S+$/, { message: 'publisherUrl must be an http(s) address' })
  @MaxLength(2000, { message: 'publisherUrl must be at most 2000 characters long' })
  publisherUrl?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}

export class UpdateScreeningSourceDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters long' })
  name?: string;

  @ApiPropertyOptional({ enum: SCREENING_LIST_KINDS, description: 'The list format family; only before the first import' })
  @IsOptional()
  @IsIn([...SCREENING_LIST_KINDS], { message: `listKind must be one of ${SCREENING_LIST_KINDS.join(', ')}` })
  listKind?: ScreeningListKind;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, description: LOCATION })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString({ message: 'location must be a string' })
  @MinLength(1, { message: 'location must not be empty' })
  @MaxLength(2000, { message: 'location must be at most 2000 characters long' })
  location?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: CADENCE.min, maximum: CADENCE.max })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt({ message: 'cadenceMinutes must be a whole number of minutes' })
  @Min(CADENCE.min, { message: 'cadenceMinutes must be at least 1' })
  @Max(CADENCE.max, { message: 'cadenceMinutes must be at most 527040 (a year)' })
  cadenceMinutes?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString({ message: 'publisherUrl must be a string' })
  @Matches(/^https?:\/\/\S+$/, { message: 'publisherUrl must be an http(s) address' })
  @MaxLength(2000, { message: 'publisherUrl must be at most 2000 characters long' })
  publisherUrl?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}
