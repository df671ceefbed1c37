import { Body, Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { ATTACHMENT_VISIBILITIES, AttachmentVisibility } from '@app/domain';
import { ATTACHMENT_KINDS, AttachmentKind } from '@app/persistence';
import { CurrentUser, User } from '../common/request-context';
import { CaseIdPipe } from '../common/case-id.pipe';
import { DocumentsService, UploadedFile as Upload } from './documents.service';
import { safeFileName } from './file-types';
import { Returns } from '../common/response-schemas';

export class UploadAttachmentDto {
  @ApiPropertyOptional({ enum: ATTACHMENT_KINDS })
  @IsOptional()
  @IsIn([...ATTACHMENT_KINDS], { message: `kind must be one of ${ATTACHMENT_KINDS.join(', ')}` })
  kind?: AttachmentKind;

  @ApiPropertyOptional({
    enum: ATTACHMENT_VISIBILITIES,
    description: 'Who sees the file: default "researcher" for the owner\'s uploads, "internal" (research office and signers only) for staff uploads.',
  })
  @IsOptional()
  @IsIn([...ATTACHMENT_VISIBILITIES], { message: `visibility must be one of ${ATTACHMENT_VISIBILITIES.join(', ')}` })
  visibility?: AttachmentVisibility;
}

/** Sends a stored, clean file as a download: its own name, never rendered inline, never cached. */
export function sendFile(res: Response, f: { contentType: string; sizeBytes: number; fileName: string }, stream: Readable): void {
  res.setHeader('Content-Type', f.contentType);
  res.setHeader('Content-Length', String(f.sizeBytes));
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${safeFileName(f.fileName).replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  stream.pipe(res);
}

@ApiTags('documents')
@ApiBearerAuth()
@Controller()
export class DocumentsController {
  constructor(private readonly service: DocumentsService) {}

  @Post('cases/:id/attachments')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        file: { type: 'string', format: 'binary' },
        kind: { type: 'string', enum: [...ATTACHMENT_KINDS] },
        visibility: { type: 'string', enum: [...ATTACHMENT_VISIBILITIES] },
      },
      required: ['file'],
    },
  })
  @ApiOperation({ summary: 'Attach a file to a case; it is virus-scanned before anyone can download it' })
  @Returns('Attachment', 201)
  upload(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Body() body: UploadAttachmentDto, @UploadedFile() file?: Upload) {
    return this.service.upload(user, id, body.kind ?? 'other', file, body.visibility);
  }

  @Get('cases/:id/attachments')
  @ApiOperation({ summary: "A case's attachments and their scan status" })
  @Returns('AttachmentList')
  async list(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return { items: await this.service.list(user, id) };
  }

  @Get('attachments/:attachmentId')
  get(@User() user: CurrentUser, @Param('attachmentId', CaseIdPipe) id: string) {
    return this.service.get(user, id);
  }

  @Get('attachments/:attachmentId/content')
  @ApiOperation({ summary: 'Download a clean attachment, by its id, if you may see its case' })
  async download(@User() user: CurrentUser, @Param('attachmentId', CaseIdPipe) id: string, @Res() res: Response) {
    const { row, stream } = await this.service.download(user, id);
    sendFile(res, row, stream);
  }

  @Post('attachments/:attachmentId/rescan')
  @ApiOperation({ summary: 'Retry the virus scan of a file whose scan failed' })
  rescan(@User() user: CurrentUser, @Param('attachmentId', CaseIdPipe) id: string) {
    return this.service.rescan(user, id);
  }
}
