import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { PREFERENCE_MODES, PreferenceMode } from '@app/mail';

const MODES = PREFERENCE_MODES as readonly string[];

/** Left out (undefined) means unchanged; null is not a mode and is refused, not stored. */
const IfPresent = () => ValidateIf((_o, v) => v !== undefined);

/** Categories left out keep their mode. Decision emails are not a category: they always go. */
export class NotificationPreferencesDto {
  @ApiPropertyOptional({ enum: PREFERENCE_MODES, description: 'case progress that needs no decision from you (received, assigned, answered, messages)' })
  @IfPresent()
  @IsIn(MODES, { message: `case_updates must be one of ${MODES.join(', ')}` })
  case_updates?: PreferenceMode;

  @ApiPropertyOptional({ enum: PREFERENCE_MODES, description: 'timer reminders (triage, information, re-review, licence expiry)' })
  @IfPresent()
  @IsIn(MODES, { message: `reminders must be one of ${MODES.join(', ')}` })
  reminders?: PreferenceMode;

  @ApiPropertyOptional({ enum: ['immediate', 'off'], description: 'the 08:30 daily digest' })
  @IfPresent()
  @IsIn(['immediate', 'off'], { message: 'digest must be immediate or off' })
  digest?: PreferenceMode;
}
