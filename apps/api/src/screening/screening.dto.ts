import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, type ValidationArguments } from 'class-validator';
import { COUNTRY_CODES, countryProblem } from '@app/domain';

export class ScreeningCheckDto {
  @ApiProperty({ maxLength: 300, example: 'Qinghua University' })
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(300, { message: 'name must be at most 300 characters long' })
  name: string;
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 country of the party, if known', example: 'CN' })
  @IsOptional()
  @IsIn(COUNTRY_CODES, { message: (a: ValidationArguments) => countryProblem('country', a.value) ?? '' })
  country?: string;
  @ApiPropertyOptional({
    description: 'Date of birth of a person, or its year or year and month: a disjoint list date lowers the score',
    example: '1971-05-03',
  })
  @IsOptional()
  @Matches(/^\d{4}(-\d{2}(-\d{2})?)?$/, { message: 'birthDate must be YYYY, YYYY-MM or YYYY-MM-DD' })
  birthDate?: string;
  @ApiPropertyOptional({ type: [String], description: 'Passport, IMO or registration numbers: one on the list entry raises the score', maxItems: 20 })
  @IsOptional()
  @IsArray({ message: 'identifiers must be a list of strings' })
  @ArrayMaxSize(20, { message: 'identifiers may hold at most 20 numbers' })
  @IsString({ each: true, message: 'each identifier must be a string' })
  @MaxLength(100, { each: true, message: 'each identifier must be at most 100 characters long' })
  identifiers?: string[];
}

export class ConfirmFlagDto {
  @ApiProperty({ maxLength: 4000, description: 'Why the hit is a true match' })
  @IsString()
  @MinLength(1, { message: 'reason must not be empty' })
  @MaxLength(4000)
  reason: string;
  @ApiProperty({ enum: ['reject', 'lead'], description: 'Where the case goes next: rejection, or the RSDO lead' })
  @IsIn(['reject', 'lead'], { message: 'route must be reject or lead' })
  route: 'reject' | 'lead';
}
