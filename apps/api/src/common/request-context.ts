import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Role } from '@app/domain';

/** The signed-in user, re-read from the database on every request (roles, active). */
export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  roles: ReadonlySet<Role>;
  departmentId: string | null;
  /** The session (refresh-token family) the access token names; ending it ends the token. */
  sessionId?: string;
}

export type AuthedRequest = Request & { user?: CurrentUser; requestId?: string };

export const IS_PUBLIC = 'isPublic';
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const REQUIRED_ROLES = 'requiredRoles';
/** Any one of these roles may call the endpoint (case endpoints check per case instead). */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export const User = createParamDecorator((_: unknown, ctx: ExecutionContext): CurrentUser => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  if (!req.user) throw new Error('User decorator used on a public route');
  return req.user;
});

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestIdMiddleware(req: AuthedRequest, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  req.requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', req.requestId);
  next();
}
