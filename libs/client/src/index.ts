// The public surface of @hearth/client, named one by one: the parts' helpers stay internal.
export { HearthApiError, REQUEST_TIMEOUT_MS } from './http/core';
export type { PageOptions, Session } from './http/core';
export type { CreatedInvite } from './http/account';
export { HearthClient } from './http/client';
export { SecureSession } from './session';
export type { SessionOptions } from './session-options';
export { initCrypto } from './crypto/machine';
export type { ConnectionState } from './sync/transport';
export type { PreparedMessage } from './timeline/sender';
export { RoomRetention } from './timeline/retention';
export type { RoomRetentionState } from './timeline/retention';
export type {
  DecryptedMessage,
  MembershipChange,
  RedactedMessage,
  Shield,
  ShieldCode,
  TimelineItem,
  UndecryptableMessage,
} from './timeline/types';
export { progressMessageOf } from './progress/messages';
export { ProgressRooms } from './progress/outcomes';
export { RoomFiles } from './media/files';
export { FileUpload } from './media/files';
export type { OutgoingFile, UploadedFile } from './media/files';
export { AttachmentError, decryptAttachment, encryptAttachment } from './media/attachment';
export { fileContentOf, mediaIdOfFile } from './media/content';
export { mediaIdOf } from './http/media';
export type { UploadOptions } from './http/media';
export type { OutcomeTexts } from './progress/messages';
export { currentResources, Library } from './library/library';
export type { LibraryResource } from './library/library';
export { resourceOf } from './library/content';
export { normalizeForSearch, searchResources } from './library/search';
export type { ResourceFilters } from './library/search';
export { EmojiVerification, PersonVerification } from './crypto/verification';
export type { Verification, VerificationEmoji, VerificationPhase } from './crypto/verification';
export { Recovery } from './crypto/recovery';
export type { RecoveryState } from './crypto/recovery';
export { SecretStorageError } from './crypto/secret-storage';
export { IdentityChangedError, Trust } from './crypto/trust';
export type { PersonDevice, PersonTrust, PersonTrustState } from './crypto/trust';
export * from './survey';
export { Pulse } from './pulse/pulse';
export { NoCoordinatorError, Reports } from './reports/reports';
export type { OpenedReport, SenderTrust } from './reports/reports';
export { Curriculum } from './curriculum/curriculum';
export type { CurriculumWords } from './curriculum/curriculum';
export { curriculumMessageOf, curriculumTexts, submissionsOf } from './curriculum/content';
export type { CurriculumText, Feedback, Submission } from './curriculum/content';
export { thisWeek, todayIn } from './curriculum/week';
export type { ThisWeek, WeekItem } from './curriculum/week';
export { answerSummary, Followups } from './followups/followups';
export type { EvidenceTarget, HelpRequest } from './followups/followups';
export { FollowupsApi } from './followups/api';
export { ANSWER_MAX, followupHelpOf } from './followups/messages';
export type { CheckinAnswers } from './followups/messages';
