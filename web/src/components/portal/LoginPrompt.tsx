import { PageHeading } from '../PageHeading.js';
import { useT } from '../../i18n/index.js';
import { useRouter } from '../../router.js';

/** A page that needs a login: what it is, and the login button that comes back here. */
export function LoginPrompt({ title, text, button }: { title: string; text: string; button?: string }) {
  const t = useT();
  const { location } = useRouter();
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p>{text}</p>
      <p>
        <a className="button" href={`/api/auth/oidc/login?returnTo=${encodeURIComponent(location.pathname + location.search)}`}>
          {button ?? t('portal.loginContinue')}
        </a>
      </p>
    </>
  );
}
