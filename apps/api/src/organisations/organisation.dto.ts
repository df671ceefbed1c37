import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { DUE_DILIGENCE_STATUSES, DueDiligenceStatus } from '@app/domain';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ListOrganisationsQuery {
  @ApiPropertyOptional({ description: 'Search over name, country and identifiers' })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'q must be at most 200 characters long' })
  q?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(200, { message: 'limit must be at most 200' })
  limit?: number;
}

export class DueDiligenceDto {
  @ApiProperty({ enum: DUE_DILIGENCE_STATUSES })
  @IsIn([...DUE_DILIGENCE_STATUSES], { message: `status must be one of ${DUE_DILIGENCE_STATUSES.join(', ')}` })
  status: DueDiligenceStatus;
  @ApiProperty({ maxLength: 5000 })
  @IsString({ message: 'reason must be text' })
  @MinLength(1, { message: 'reason must not be empty: say why' })
  @MaxLength(5000, { message: 'reason must be at most 5000 characters long' })
  reason: string;
  @ApiPropertyOptional({ description: 'YYYY-MM-DD; required for cleared (cleared until), optional otherwise', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'expiresOn must be a date written YYYY-MM-DD' })
  @Matches(DATE, { message: 'expiresOn must be a date written YYYY-MM-DD' })
  expiresOn?: string | null;
}

export class OrganisationDetailsDto {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'ROR id, bare or as https://ror.org/…' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'rorId must be text' })
  @MaxLength(100, { message: 'rorId must be at most 100 characters long' })
  rorId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'companyNumber must be text' })
  @MaxLength(50, { message: 'companyNumber must be at most 50 characters long' })
  companyNumber?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'a website address or its domain' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'website must be text' })
  @MaxLength(300, { message: 'website must be at most 300 characters long' })
  website?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('all', { message: 'parentId must be an organisation id' })
  parentId?: string | null;
}

export class MergeDto {
  @ApiProperty({ format: 'uuid', description: 'The organisation this one is merged into (it keeps its record; this one points to it)' })
  @IsUUID('all', { message: 'intoId must be an organisation id' })
  intoId: string;
}
