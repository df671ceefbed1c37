import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListCasesQuery } from '../cases/case.dto';

const FORMATS = ['json', 'csv', 'xlsx'];

/** Report filters; each is checked by ReportService.filter, which names the bad one. */
export class ReportQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'First day (default: a year before `to`)' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  from?: string;
  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last day, inclusive (default: today)' }) @IsOptional() @IsString() @MaxLength(10) to?: string;
  @ApiPropertyOptional({ description: 'Department id' }) @IsOptional() @IsString() @MaxLength(36) department?: string;
  @ApiPropertyOptional({ example: 'CN', description: 'Partner country (ISO 3166 alpha-2)' }) @IsOptional() @IsString() @MaxLength(2) country?: string;
  @ApiPropertyOptional({ example: 'quantum_technologies', description: 'NSI Act area' }) @IsOptional() @IsString() @MaxLength(60) nsiArea?: string;
  @ApiPropertyOptional({ description: 'Risk tier: low, medium or high' }) @IsOptional() @IsString() @MaxLength(10) riskTier?: string;
  @ApiPropertyOptional({ description: 'Outcome of the closed case' }) @IsOptional() @IsString() @MaxLength(40) outcome?: string;
  @ApiPropertyOptional({ description: 'Assigned officer (user id)' }) @IsOptional() @IsString() @MaxLength(36) officer?: string;
  @ApiPropertyOptional({ enum: FORMATS, description: 'json (default), or a csv / xlsx download' })
  @IsOptional()
  @IsIn(FORMATS, { message: 'format must be json, csv or xlsx' })
  format?: string;
}

/** The case list's own filters, and the download format. */
export class CaseListExportQuery extends ListCasesQuery {
  @ApiPropertyOptional({ enum: ['csv', 'xlsx'] }) @IsIn(['csv', 'xlsx'], { message: 'format must be csv or xlsx' }) format: 'csv' | 'xlsx';
}
