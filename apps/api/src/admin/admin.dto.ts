import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { Role, ROLES } from '@app/domain';

// Decorators apply bottom-up and the global pipe stops at the first error: type checks go last (they run first).
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const ROLE_LIST = ROLES.join(', ');

export class CreateUserDto {
  @ApiProperty({ example: 'new.officer@example.ac.uk' })
  @Transform(trim)
  @MaxLength(254, { message: 'email must be at most 254 characters long' })
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @ApiProperty({ example: 'Nadia Lewis', maxLength: 200 })
  @Transform(trim)
  @MaxLength(200, { message: 'name must be at most 200 characters long' })
  @MinLength(1, { message: 'name must not be empty' })
  @IsString({ message: 'name must be text' })
  name: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['rsdo_officer'] })
  @IsIn(ROLES, { each: true, message: `roles must each be one of ${ROLE_LIST}` })
  @ArrayMaxSize(ROLES.length, { message: `roles must hold at most ${ROLES.length} roles` })
  @ArrayMinSize(1, { message: 'roles must hold at least one role' })
  @IsArray({ message: `roles must be a list of roles (${ROLE_LIST})` })
  roles: Role[];

  @ApiPropertyOptional({ format: 'uuid', description: 'the department the user belongs to (researchers, heads)' })
  @IsOptional()
  @IsUUID('all', { message: 'departmentId must be a department id (a UUID)' })
  departmentId?: string;
}

export class SetRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true, example: ['researcher', 'department_head'] })
  @IsIn(ROLES, { each: true, message: `roles must each be one of ${ROLE_LIST}` })
  @ArrayMaxSize(ROLES.length, { message: `roles must hold at most ${ROLES.length} roles` })
  @ArrayMinSize(1, { message: 'roles must hold at least one role; to remove all access, deactivate the user instead' })
  @IsArray({ message: `roles must be a list of roles (${ROLE_LIST})` })
  roles: Role[];
}

export class HandoverDto {
  @ApiProperty({ format: 'uuid', description: 'the active RSDO officer or lead who takes over the open cases' })
  @IsUUID('all', { message: 'toUserId must be a user id (a UUID)' })
  toUserId: string;
}

export class SetDepartmentDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'the department, or null for none' })
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('all', { message: 'departmentId must be a department id (a UUID) or null for none' })
  departmentId: string | null;
}

export class CreateDepartmentDto {
  @ApiProperty({ example: 'MATH', description: 'short code, letters, digits, _ or -; stored upper-case' })
  @Transform(trim)
  @Matches(/^[A-Za-z0-9_-]{2,20}$/, { message: 'code must be 2 to 20 letters, digits, _ or -' })
  @IsString({ message: 'code must be text' })
  code: string;

  @ApiProperty({ example: 'Mathematics', maxLength: 200 })
  @Transform(trim)
  @MaxLength(200, { message: 'name must be at most 200 characters long' })
  @MinLength(1, { message: 'name must not be empty' })
  @IsString({ message: 'name must be text' })
  name: string;
}

export class SetHeadDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'userId must be a user id (a UUID)' })
  userId: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class AddDelegateDto {
  @ApiProperty({ format: 'uuid', description: 'who signs for the head in this period' })
  @IsUUID('all', { message: 'userId must be a user id (a UUID)' })
  userId: string;

  @ApiProperty({ format: 'date', example: '2027-07-01' })
  @Matches(ISO_DATE, { message: 'startsOn must be a date written YYYY-MM-DD' })
  @IsString({ message: 'startsOn must be a date written YYYY-MM-DD' })
  startsOn: string;

  @ApiProperty({ format: 'date', example: '2027-08-31', description: 'inclusive; on or after startsOn' })
  @Matches(ISO_DATE, { message: 'endsOn must be a date written YYYY-MM-DD' })
  @IsString({ message: 'endsOn must be a date written YYYY-MM-DD' })
  endsOn: string;
}
