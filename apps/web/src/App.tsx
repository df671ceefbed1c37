import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { landingPageFor, type LandingPage } from '@app/domain/roles';
import { AuthProvider, useAuth } from './auth';
import { Layout } from './components/Layout';
import { Spinner } from './components/govuk';
import { AdminDepartmentsPage } from './pages/AdminDepartments';
import { AdminUserPage, AdminUsersPage } from './pages/AdminUsers';
import { ActionPage } from './pages/ActionPage';
import { CasePage } from './pages/CasePage';
import { OrganisationPage, OrganisationsPage } from './pages/Organisations';
import { CheckAnswersPage, NewCaseStartPage, TopicPage } from './pages/Questionnaire';
import { MyCasesPage } from './pages/MyCases';
import { NotFoundPage } from './pages/NotFound';
import { QueuePage } from './pages/Queue';
import { QueueBoardPage } from './pages/QueueBoard';
import { SignInPage } from './pages/SignIn';
import { AcceptInvitationPage, ChangePasswordPage, ForgotPasswordPage, ResetPasswordPage } from './pages/Account';
import { SignOffPage } from './pages/SignOff';
import { ScreeningListsPage, ScreeningSourcePage, ScreeningVersionPage } from './pages/ScreeningLists';
import { AdminAuditPage } from './pages/AdminAudit';
import { AdminMailPage } from './pages/AdminMail';
import { NotificationPreferencesPage } from './pages/NotificationPreferences';

// The dashboard carries the charting library: loaded only when a member of staff opens it.
const ReportsPage = lazy(() => import('./pages/Reports').then((m) => ({ default: m.ReportsPage })));
// Service levels read durations with the domain's calendar code (luxon): loaded only when an admin opens the page.
const AdminSlaPage = lazy(() => import('./pages/AdminSla').then((m) => ({ default: m.AdminSlaPage })));

function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <Spinner label="Signing you in…" />;
  if (status === 'signed-out') return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

/** Where each landing page of the domain (libs/domain roles.ts ROLE_LANDING) is in this app. */
const LANDING_PATHS: Record<LandingPage, string> = {
  my_cases: '/cases/mine',
  work_queue: '/queue',
  export_queue: '/queue?state=export_control_review',
  sign_off: '/sign-off',
  administration: '/admin/users',
};

/** Each role lands where its work is: researchers on their cases, officers and export reviewers on the queue, heads and leads on sign-off, admins on administration. */
function Home() {
  const { me } = useAuth();
  const page = landingPageFor(me?.roles ?? []);
  return page ? <Navigate to={LANDING_PATHS[page]} replace /> : <NotFoundPage />;
}

const authed = (el: ReactNode) => <RequireAuth>{el}</RequireAuth>;

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Layout>
          <Routes>
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
            <Route path="/forgot-password" element={<ForgotPasswordPage />} />
            <Route path="/reset-password" element={<ResetPasswordPage />} />
            <Route path="/" element={authed(<Home />)} />
            <Route path="/account/password" element={authed(<ChangePasswordPage />)} />
            <Route path="/cases/mine" element={authed(<MyCasesPage />)} />
            <Route path="/cases/new" element={authed(<NewCaseStartPage />)} />
            <Route path="/cases/:id/topic/:slug" element={authed(<TopicPage />)} />
            <Route path="/cases/:id/check" element={authed(<CheckAnswersPage />)} />
            <Route path="/cases/:id/act/:action" element={authed(<ActionPage />)} />
            <Route path="/cases/:id" element={authed(<CasePage />)} />
            <Route path="/queue" element={authed(<QueuePage />)} />
            <Route path="/sign-off" element={authed(<SignOffPage />)} />
            <Route path="/organisations" element={authed(<OrganisationsPage />)} />
            <Route path="/organisations/:id" element={authed(<OrganisationPage />)} />
            <Route
              path="/reports"
              element={authed(
                <Suspense fallback={<Spinner />}>
                  <ReportsPage />
                </Suspense>,
              )}
            />
            <Route path="/admin/users" element={authed(<AdminUsersPage />)} />
            <Route path="/admin/users/:id" element={authed(<AdminUserPage />)} />
            <Route path="/admin/departments" element={authed(<AdminDepartmentsPage />)} />
            <Route path="/admin/queue-board" element={authed(<QueueBoardPage />)} />
            <Route path="/screening/lists" element={authed(<ScreeningListsPage />)} />
            <Route path="/screening/lists/sources/:id" element={authed(<ScreeningSourcePage />)} />
            <Route path="/screening/lists/versions/:id" element={authed(<ScreeningVersionPage />)} />
            <Route
              path="/admin/sla"
              element={authed(
                <Suspense fallback={<Spinner />}>
                  <AdminSlaPage />
                </Suspense>,
              )}
            />
            <Route path="/admin/mail" element={authed(<AdminMailPage />)} />
            <Route path="/admin/audit" element={authed(<AdminAuditPage />)} />
            <Route path="/account/notifications" element={authed(<NotificationPreferencesPage />)} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Layout>
      </AuthProvider>
    </BrowserRouter>
  );
}
