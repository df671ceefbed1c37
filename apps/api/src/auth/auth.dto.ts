import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-policy';

export class LoginDto {
  @ApiProperty({ example: 'officer@example.ac.uk' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;
  @ApiProperty({ example: 'demo1234' })
  @IsString()
  @MinLength(1, { message: 'password must not be empty' })
  @MaxLength(200)
  password: string;
}

export class AcceptInvitationDto {
  @ApiProperty() @IsString() @MinLength(10) @MaxLength(200) token: string;
  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, description: 'at least 12 characters, not a common password, not the email address' })
  @IsString({ message: 'password must be text' })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters long` })
  @MaxLength(MAX_PASSWORD_LENGTH, { message: `password must be at most ${MAX_PASSWORD_LENGTH} characters long` })
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString({ message: 'currentPassword must be text' })
  @MinLength(1, { message: 'currentPassword must not be empty' })
  @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword: string;
  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, description: 'at least 12 characters, not a common password, not the email address' })
  @IsString({ message: 'newPassword must be text' })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `newPassword must be at least ${MIN_PASSWORD_LENGTH} characters long` })
  @MaxLength(MAX_PASSWORD_LENGTH, { message: `newPassword must be at most ${MAX_PASSWORD_LENGTH} characters long` })
  newPassword: string;
}

export class TokenResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'seconds until the access token expires' }) expiresIn: number;
}

export class ForgotPasswordDto {
  @ApiProperty({ example: 'researcher@example.ac.uk' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254, { message: 'email must be at most 254 characters long' })
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty()
  @IsString({ message: 'token must be text' })
  @MinLength(10, { message: 'token is not a reset token' })
  @MaxLength(200, { message: 'token is not a reset token' })
  token: string;
  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, description: 'at least 12 characters, not a common password, not the email address' })
  @IsString({ message: 'password must be text' })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters long` })
  @MaxLength(MAX_PASSWORD_LENGTH, { message: `password must be at most ${MAX_PASSWORD_LENGTH} characters long` })
  password: string;
}
