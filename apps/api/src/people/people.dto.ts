import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CONFLICT_KINDS, ConflictKind, PERSON_ROLES, PersonRole } from '@app/domain';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ConflictDto {
  @ApiProperty({ enum: CONFLICT_KINDS })
  @IsIn([...CONFLICT_KINDS], { message: `conflicts[].kind must be one of ${CONFLICT_KINDS.join(', ')}` })
  kind: ConflictKind;
  @ApiProperty({ maxLength: 2000 })
  @IsString({ message: 'conflicts[].description must be text' })
  @MinLength(1, { message: 'conflicts[].description must not be empty: say what the role or programme is' })
  @MaxLength(2000, { message: 'conflicts[].description must be at most 2000 characters long' })
  description: string;
}

export class AtasDto {
  @ApiProperty({ maxLength: 100 })
  @IsString({ message: 'atas.certificateReference must be text' })
  @MinLength(1, { message: 'atas.certificateReference must not be empty' })
  @MaxLength(100, { message: 'atas.certificateReference must be at most 100 characters long' })
  certificateReference: string;
  @ApiProperty({ description: 'YYYY-MM-DD' })
  @IsString({ message: 'atas.issuedOn must be a date written YYYY-MM-DD' })
  @Matches(DATE, { message: 'atas.issuedOn must be a date written YYYY-MM-DD' })
  issuedOn: string;
  @ApiProperty({ description: 'YYYY-MM-DD' })
  @IsString({ message: 'atas.expiresOn must be a date written YYYY-MM-DD' })
  @Matches(DATE, { message: 'atas.expiresOn must be a date written YYYY-MM-DD' })
  expiresOn: string;
}

const NATIONALITY = (field: string) => Matches(/^[A-Z]{2}$/, { each: true, message: `${field} must be ISO 3166-1 alpha-2 country codes such as FR or CN` });

export class AddPersonDto {
  @ApiProperty({ maxLength: 300 })
  @IsString({ message: 'name must be text' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(300, { message: 'name must be at most 300 characters long' })
  name: string;
  @ApiProperty({ enum: PERSON_ROLES }) @IsIn([...PERSON_ROLES], { message: `role must be one of ${PERSON_ROLES.join(', ')}` }) role: PersonRole;
  @ApiPropertyOptional({ maxLength: 300, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'affiliation must be text' })
  @MaxLength(300, { message: 'affiliation must be at most 300 characters long' })
  affiliation?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'ISO 3166-1 alpha-2 codes, where given and needed (ATAS)' })
  @IsOptional()
  @IsArray({ message: 'nationalities must be a list of country codes' })
  @ArrayMaxSize(5, { message: 'nationalities has more than 5 entries' })
  @NATIONALITY('nationalities')
  nationalities?: string[];
  @ApiPropertyOptional({
    description: "The person's account here (principal investigator or co-investigator): they then see and contribute to the case",
    maxLength: 254,
  })
  @IsOptional()
  @IsEmail({}, { message: 'userEmail must be an email address' })
  @MaxLength(254, { message: 'userEmail must be at most 254 characters long' })
  userEmail?: string;
  @ApiPropertyOptional({ type: [ConflictDto], description: 'Declared conflicts of interest and commitment' })
  @IsOptional()
  @IsArray({ message: 'conflicts must be a list' })
  @ArrayMaxSize(20, { message: 'conflicts has more than 20 entries' })
  @ValidateNested({ each: true })
  @Type(() => ConflictDto)
  conflicts?: ConflictDto[];
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @IsInt({ message: 'expectedVersion must be a whole number' })
  @Min(1, { message: 'expectedVersion must be at least 1' })
  expectedVersion?: number;
}

export class UpdatePersonDto {
  @ApiPropertyOptional({ maxLength: 300, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'affiliation must be text' })
  @MaxLength(300, { message: 'affiliation must be at most 300 characters long' })
  affiliation?: string | null;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray({ message: 'nationalities must be a list of country codes' })
  @ArrayMaxSize(5, { message: 'nationalities has more than 5 entries' })
  @NATIONALITY('nationalities')
  nationalities?: string[];
  @ApiPropertyOptional({ type: [ConflictDto] })
  @IsOptional()
  @IsArray({ message: 'conflicts must be a list' })
  @ArrayMaxSize(20, { message: 'conflicts has more than 20 entries' })
  @ValidateNested({ each: true })
  @Type(() => ConflictDto)
  conflicts?: ConflictDto[];
  @ApiPropertyOptional({ type: AtasDto, nullable: true, description: 'The ATAS certificate (reference and dates); null removes it' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @ValidateNested()
  @Type(() => AtasDto)
  atas?: AtasDto | null;
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @IsInt({ message: 'expectedVersion must be a whole number' })
  @Min(1, { message: 'expectedVersion must be at least 1' })
  expectedVersion?: number;
}
