import type { AuditLogTable, LoginFailuresTable, SettingsTable, UsersTable } from './tables/accounts.ts';
import type { BlueprintsTable, CertificatesTable, QuestionsTable } from './tables/bank.ts';
import type { CandidatesTable, PlansTable, RegistrationsTable, SittingsTable } from './tables/plans.ts';
import type { AnswersTable, AttemptEventsTable, AttemptsTable, UploadsTable } from './tables/delivery.ts';
import type { GradingJobsTable, MarksTable } from './tables/grading.ts';
import type {
  ArrangementsTable, CandidatePhotosTable, ClassesTable, InstitutionsTable, InvitationsTable, MajorsTable, PrintLogTable,
  ProctorAssignmentsTable, ReadinessMarksTable, RoomsTable, SeatAssignmentsTable, SitesTable, TeacherMajorsTable,
} from './tables/administration.ts';
import type { TicketSerialsTable } from './tables/registration.ts';
import type {
  AbsencesTable, EnvChecksTable, MachineSwitchesTable, ProctorActionsTable, RoomRecordsTable, SignInMarksTable, SignInRefusalsTable,
} from './tables/exam-day.ts';

/** The whole database, one interface per table (see tables/). */
export interface DB {
  settings: SettingsTable;
  users: UsersTable;
  audit_log: AuditLogTable;
  login_failures: LoginFailuresTable;
  certificates: CertificatesTable;
  blueprints: BlueprintsTable;
  questions: QuestionsTable;
  plans: PlansTable;
  sittings: SittingsTable;
  candidates: CandidatesTable;
  registrations: RegistrationsTable;
  attempts: AttemptsTable;
  answers: AnswersTable;
  attempt_events: AttemptEventsTable;
  uploads: UploadsTable;
  grading_jobs: GradingJobsTable;
  marks: MarksTable;
  institutions: InstitutionsTable;
  majors: MajorsTable;
  classes: ClassesTable;
  teacher_majors: TeacherMajorsTable;
  invitations: InvitationsTable;
  sites: SitesTable;
  rooms: RoomsTable;
  candidate_photos: CandidatePhotosTable;
  arrangements: ArrangementsTable;
  seat_assignments: SeatAssignmentsTable;
  proctor_assignments: ProctorAssignmentsTable;
  print_log: PrintLogTable;
  readiness_marks: ReadinessMarksTable;
  ticket_serials: TicketSerialsTable;
  sign_in_refusals: SignInRefusalsTable;
  env_checks: EnvChecksTable;
  machine_switches: MachineSwitchesTable;
  proctor_actions: ProctorActionsTable;
  absences: AbsencesTable;
  room_records: RoomRecordsTable;
  sign_in_marks: SignInMarksTable;
}
