import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode, Role } from '@app/domain';
import { AuthedRequest, IS_PUBLIC, REQUIRED_ROLES } from '../common/request-context';
import { AuthService } from './auth.service';

/** Global: every endpoint needs a signed-in, active user unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first: send the access token as "Authorization: Bearer <token>".');
    req.user = await this.auth.authenticate(match[1]);
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required?.length && !required.some((r) => req.user!.roles.has(r))) {
      throw new DomainError(ErrorCode.FORBIDDEN, `This needs one of these roles: ${required.join(', ')}.`);
    }
    return true;
  }
}
