import { Link } from 'react-router';
import { usePageTitle } from '../components/govuk';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <>
      <h1 className="govuk-heading-l">Page not found</h1>
      <p className="govuk-body">
        If you typed the web address, check it is correct.{' '}
        <Link className="govuk-link" to="/">
          Go to the start
        </Link>
        .
      </p>
    </>
  );
}
