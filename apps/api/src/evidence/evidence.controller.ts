import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CaseIdPipe } from '../common/case-id.pipe';
import { CurrentUser, User } from '../common/request-context';
import { EvidenceService } from './evidence.service';

const send = (res: Response, type: string, file: string, bytes: Buffer) => {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `attachment; filename="${file.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.send(bytes);
};

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Get(':id/evidence.pdf')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Evidence pack as PDF: full for staff, the researcher-safe copy for the owner' })
  async pdf(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Res() res: Response) {
    const { reference, bytes } = await this.evidence.pdf(user, id);
    send(res, 'application/pdf', `evidence-${reference}.pdf`, bytes);
  }

  @Get(':id/evidence.zip')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Evidence pack as ZIP: the PDF, case.json with the same content, and the attachments that passed the virus scan' })
  async zip(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Res() res: Response) {
    const { reference, bytes } = await this.evidence.zip(user, id);
    send(res, 'application/zip', `evidence-${reference}.zip`, bytes);
  }
}
