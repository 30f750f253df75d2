import { NotificationType } from '@hearth/protocol';

/** Rows of the notifications module's tables, as its repository returns and takes them. */
export interface NotificationRow {
  id: string;
  user_id: string;
  type: NotificationType;
  data: Record<string, string | number | null>;
  created_at: Date;
  read_at: Date | null;
}

export interface DueReminder {
  id: string;
  user_id: string;
  ref: string;
  session_id: string | null;
  event_id: string | null;
  occurrence: string | null;
  minutes_before: number;
  starts_at: Date;
}

/** A reminder job to store: one person, one thing (`ref`), one offset before its start. */
export interface NewReminder {
  userUuid: string;
  ref: string;
  sessionId: string | null;
  eventId: string | null;
  occurrence: string | null;
  minutesBefore: number;
  startsAt: Date;
}
