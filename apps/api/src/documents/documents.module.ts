import { Module } from '@nestjs/common';
import { CommitModule } from '../commit/commit.module';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig } from '@app/config';
import { CasesModule } from '../cases/cases.module';
import { AttachmentStore, DirectoryAttachmentStore } from './attachment-store';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { ClamdScanner, VirusScanner } from './virus-scanner';
import { ScannedFiles } from './file-intake';

/** Case attachments: a directory store, a ClamAV scan before download, access by attachment id. ScannedFiles is that path for other owners (organisation documents). */
/** Multipart uploads of one file up to ATTACHMENT_MAX_BYTES; every module that takes files for ScannedFiles imports this. */
export const AttachmentUploads = MulterModule.registerAsync({
  inject: [APP_CONFIG],
  // No `dest`: multer holds the file in memory up to the limit (20 MB by default); it is hashed, then written to the store.
  useFactory: (config: AppConfig) => ({ limits: { fileSize: config.attachments.maxBytes, files: 1, fields: 5 } }),
});

@Module({
  imports: [CasesModule, CommitModule, AttachmentUploads],
  controllers: [DocumentsController],
  providers: [
    DocumentsService,
    ScannedFiles,
    { provide: AttachmentStore, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new DirectoryAttachmentStore(config.attachments.dir) },
    { provide: VirusScanner, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new ClamdScanner(config.attachments.clamd) },
  ],
  exports: [AttachmentStore, ScannedFiles],
})
export class DocumentsModule {}
