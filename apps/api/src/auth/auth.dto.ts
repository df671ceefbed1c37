import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'officer@example.ac.uk' }) @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254)
  email: string;
  @ApiProperty({ example: 'demo1234' }) @IsString() @MinLength(1, { message: 'password must not be empty' }) @MaxLength(200)
  password: string;
}

export class AcceptInvitationDto {
  @ApiProperty() @IsString() @MinLength(10) @MaxLength(200) token: string;
  @ApiProperty({ minLength: 8 }) @IsString() @MinLength(8, { message: 'password must be at least 8 characters long' }) @MaxLength(200)
  password: string;
}

export class TokenResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'seconds until the access token expires' }) expiresIn: number;
}
