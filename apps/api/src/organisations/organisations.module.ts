import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { AttachmentUploads, DocumentsModule } from '../documents/documents.module';
import { OrganisationController, PrecedentController } from './organisation.controller';
import { OrganisationService } from './organisation.service';

/** The partner register and the triage precedent panel (issue 19); documents' files go through the case attachments' store and scan (DocumentsModule). */
@Module({
  imports: [CasesModule, DocumentsModule, AttachmentUploads],
  controllers: [OrganisationController, PrecedentController],
  providers: [OrganisationService],
})
export class OrganisationsModule {}
