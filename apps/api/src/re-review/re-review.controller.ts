import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { CurrentUser, User } from '../common/request-context';
import { CaseIdPipe } from '../common/case-id.pipe';
import { ReReviewOutcome, ReReviewService } from './re-review.service';

export class ReReviewDto {
  @ApiProperty({
    enum: ['no_change', 'follow_up'],
    description: 'no_change: nothing changed, review again in 12 months; follow_up: open a linked case pre-filled from this one',
  })
  @IsIn(['no_change', 'follow_up'], { message: 'outcome must be no_change or follow_up' })
  outcome: ReReviewOutcome;

  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @IsString() @MaxLength(4000) note?: string;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class ReReviewController {
  constructor(private readonly service: ReReviewService) {}

  @Post(':id/re-review')
  @HttpCode(200)
  @ApiOperation({ summary: "The researcher answers an approved case's periodic re-review" })
  reReview(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Body() body: ReReviewDto) {
    return this.service.answer(user, id, body.outcome, body.note, body.expectedVersion);
  }

  @Get(':id/changes')
  @ApiOperation({ summary: 'What a linked case (amendment or re-review follow-up) changes against the case it came from' })
  changes(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return this.service.changes(user, id);
  }
}
