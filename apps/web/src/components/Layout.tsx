import { useEffect, useRef, type ReactNode } from 'react';
import { Link, NavLink, useLocation } from 'react-router';
import { STAFF_ROLES, useAuth } from '../auth';

function navItems(has: (...r: string[]) => boolean) {
  const items: { to: string; label: string }[] = [];
  if (has('researcher')) items.push({ to: '/cases/mine', label: 'My cases' }, { to: '/cases/new', label: 'New case' });
  if (has(...STAFF_ROLES)) items.push({ to: '/queue', label: 'Work queue' });
  if (has(...STAFF_ROLES)) items.push({ to: '/reports', label: 'Reports' });
  if (has(...STAFF_ROLES)) items.push({ to: '/organisations', label: 'Organisations' });
  if (has('department_head', 'rsdo_lead')) items.push({ to: '/sign-off', label: 'Sign-off' });
  if (has('admin')) items.push({ to: '/admin/users', label: 'Users' }, { to: '/admin/departments', label: 'Departments' });
  if (has('admin')) items.push({ to: '/admin/queue-board', label: 'Queues' });
  if (has(...STAFF_ROLES)) items.push({ to: '/screening/lists', label: 'Screening lists' });
  if (has('admin')) items.push({ to: '/admin/sla', label: 'Service levels' }, { to: '/admin/mail', label: 'Mail' });
  if (has('admin', 'rsdo_lead')) items.push({ to: '/admin/audit', label: 'Audit' });
  return items;
}

export function Layout({ children }: { children: ReactNode }) {
  const { me, has, signOut, status } = useAuth();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // A client-side navigation says nothing to a screen reader: move focus to the new page's main content.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // Pages load their data first: focus the heading the moment it is drawn (a DOM observer runs
    // before the browser handles the next key or click), not on a later poll: a user who had
    // already reached a field would lose what they type next. Nothing is taken from a user who
    // moved focus into the page themselves.
    const root = main.current;
    if (!root) return;
    const before = document.activeElement;
    const take = (target: HTMLElement) => {
      const now = document.activeElement;
      if (now && now !== before && now !== document.body && root.contains(now)) return;
      target.setAttribute('tabindex', '-1');
      target.focus();
    };
    const present = root.querySelector('h1');
    if (present) {
      take(present);
      return;
    }
    const observer = new MutationObserver(() => {
      const h1 = root.querySelector('h1');
      if (!h1) return;
      observer.disconnect();
      window.clearTimeout(timer);
      take(h1);
    });
    observer.observe(root, { childList: true, subtree: true });
    // A page with no heading after two seconds: its main content.
    const timer = window.setTimeout(() => {
      observer.disconnect();
      take(root);
    }, 2000);
    return () => {
      observer.disconnect();
      window.clearTimeout(timer);
    };
  }, [location.pathname]);

  return (
    <>
      <a href="#main-content" className="govuk-skip-link">
        Skip to main content
      </a>
      <header className="govuk-header tr-header" role="banner">
        <div className="govuk-header__container govuk-width-container">
          <div className="govuk-header__logo">
            <Link to="/" className="govuk-header__link govuk-header__link--homepage">
              <span className="govuk-header__logotype-text">University</span>
            </Link>
          </div>
          <div className="govuk-header__content">
            <Link to="/" className="govuk-header__link govuk-header__service-name">
              Trusted Research
            </Link>
          </div>
        </div>
      </header>
      {status === 'signed-in' && me && (
        <section aria-label="Service menu" className="govuk-service-navigation" data-module="govuk-service-navigation">
          <div className="govuk-width-container">
            <div className="govuk-service-navigation__container">
              <nav aria-label="Menu" className="govuk-service-navigation__wrapper">
                <ul className="govuk-service-navigation__list" id="navigation">
                  {navItems(has).map((i) => (
                    <li className="govuk-service-navigation__item" key={i.to}>
                      <NavLink className="govuk-service-navigation__link" to={i.to} end>
                        {i.label}
                      </NavLink>
                    </li>
                  ))}
                  <li className="govuk-service-navigation__item tr-nav-user">
                    <Link className="govuk-link govuk-body-s tr-signed-in-as" to="/account/password">
                      {me.name}
                      <span className="govuk-visually-hidden">: change your password</span>
                    </Link>
                    <Link className="govuk-link govuk-body-s tr-signed-in-as" to="/account/notifications">
                      Email settings
                    </Link>
                    <button type="button" className="govuk-service-navigation__link tr-link-button" onClick={() => void signOut()}>
                      Sign out
                    </button>
                  </li>
                </ul>
              </nav>
            </div>
          </div>
        </section>
      )}
      <div className="govuk-width-container">
        <main className="govuk-main-wrapper" id="main-content" ref={main}>
          {children}
        </main>
      </div>
      <footer className="govuk-footer">
        <div className="govuk-width-container">
          <p className="govuk-body-s">
            Trusted Research case management. Guidance: the NPSA and NCSC's Trusted Research advice and the National Security and Investment Act 2021.
          </p>
        </div>
      </footer>
    </>
  );
}
