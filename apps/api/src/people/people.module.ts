import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { CommitModule } from '../commit/commit.module';
import { PeopleController } from './people.controller';
import { PeopleService } from './people.service';

/** People named on a case, ATAS and the PI's confirmation (issue 19). */
@Module({
  imports: [CasesModule, CommitModule],
  controllers: [PeopleController],
  providers: [PeopleService],
})
export class PeopleModule {}
