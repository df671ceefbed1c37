import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { CurrentUser, Public, User } from '../common/request-context';
import { Returns } from '../common/response-schemas';
import { AcceptInvitationDto, ChangePasswordDto, ForgotPasswordDto, LoginDto, ResetPasswordDto, TokenResponseDto } from './auth.dto';
import { AuthService, IssuedTokens } from './auth.service';

export const REFRESH_COOKIE = 'tr_refresh';

/** The refresh cookie as every sign-in sets it (password, OIDC, SAML). */
export function setRefreshCookie(res: Response, config: AppConfig, t: IssuedTokens): void {
  res.cookie(REFRESH_COOKIE, t.refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure: config.nodeEnv === 'production',
    path: '/api/auth',
    expires: t.refreshExpiresAt,
  });
}

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private setCookie(res: Response, t: IssuedTokens): TokenResponseDto {
    setRefreshCookie(res, this.config, t);
    return { accessToken: t.accessToken, expiresIn: t.expiresIn };
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponseDto })
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenResponseDto> {
    return this.setCookie(res, await this.auth.login(body.email, body.password, req.ip ?? 'unknown'));
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponseDto })
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenResponseDto> {
    return this.setCookie(res, await this.auth.refresh((req.cookies as Record<string, string> | undefined)?.[REFRESH_COOKIE]));
  }

  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout((req.cookies as Record<string, string> | undefined)?.[REFRESH_COOKIE]);
    res.clearCookie(REFRESH_COOKIE, { path: '/api/auth' });
  }

  @Public()
  @Post('auth/accept-invitation')
  @HttpCode(204)
  async acceptInvitation(@Body() body: AcceptInvitationDto): Promise<void> {
    await this.auth.acceptInvitation(body.token, body.password);
  }

  /** Always 202 with the same sentence: whether an account exists is not revealed. */
  @Public()
  @Post('auth/forgot-password')
  @HttpCode(202)
  async forgotPassword(@Body() body: ForgotPasswordDto): Promise<{ message: string }> {
    await this.auth.requestPasswordReset(body.email);
    return { message: 'If an account uses that address, a link to reset its password is on its way; it works for one hour.' };
  }

  @Public()
  @Post('auth/reset-password')
  @HttpCode(204)
  async resetPassword(@Body() body: ResetPasswordDto): Promise<void> {
    await this.auth.resetPassword(body.token, body.password);
  }

  /** Ends every session of the account (other browsers sign in again) and starts a new one here. */
  @ApiBearerAuth()
  @Post('auth/change-password')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponseDto })
  async changePassword(
    @User() user: CurrentUser,
    @Body() body: ChangePasswordDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenResponseDto> {
    return this.setCookie(res, await this.auth.changePassword(user, body.currentPassword, body.newPassword, req.ip ?? 'unknown'));
  }

  @ApiBearerAuth()
  @Get('me')
  @Returns('Me')
  me(@User() user: CurrentUser) {
    return { id: user.id, email: user.email, name: user.name, roles: [...user.roles].sort(), departmentId: user.departmentId };
  }
}
