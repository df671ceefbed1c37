import { Module } from '@nestjs/common';
import { CaseCommit } from '@app/persistence';

/** The one path for every change to a case; a leaf module every feature module may import. */
@Module({ providers: [CaseCommit], exports: [CaseCommit] })
export class CommitModule {}
