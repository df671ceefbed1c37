import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { DepartmentSigning } from '@app/domain';
import { DepartmentDelegateEntity, DepartmentEntity, UserEntity } from '../entities/user.entity';

@Injectable()
export class UserRepository {
  findByEmail(em: EntityManager, email: string): Promise<UserEntity | null> {
    return em.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  findById(em: EntityManager, id: string): Promise<UserEntity | null> {
    return em.getRepository(UserEntity).findOne({ where: { id } });
  }

  findDepartment(em: EntityManager, id: string): Promise<DepartmentEntity | null> {
    return em.getRepository(DepartmentEntity).findOne({ where: { id } });
  }

  /** The department's head and its live delegations, as the domain's signer rule wants them. */
  async departmentSigning(em: EntityManager, departmentId: string | null): Promise<DepartmentSigning> {
    if (!departmentId) return { headUserId: null, delegates: [] };
    const dept = await this.findDepartment(em, departmentId);
    const delegates = await em.getRepository(DepartmentDelegateEntity).find({ where: { departmentId, revokedAt: IsNull() } });
    return {
      headUserId: dept?.headUserId ?? null,
      delegates: delegates.map((d) => ({ userId: d.delegateUserId, startsOn: d.startsOn, endsOn: d.endsOn })),
    };
  }
}
