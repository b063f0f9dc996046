import { PageHeading } from '../components/PageHeading.js';
import { useT } from '../i18n/index.js';
import { Link } from '../router.js';

export default function NotFound() {
  const t = useT();
  return (
    <>
      <PageHeading title={t('notFound.title')}>{t('notFound.title')}</PageHeading>
      <p>{t('notFound.text')}</p>
      <p>
        <Link to="/">{t('nav.home')}</Link>
      </p>
    </>
  );
}
