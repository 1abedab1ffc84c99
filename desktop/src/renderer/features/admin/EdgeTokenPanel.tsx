import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { AdminApi } from './admin-api';
import { edgeCommand, type EdgeCommandOptions } from './admin-forms';
import { Outcome } from './Field';
import { useAdminAction } from './use-admin-action';

/**
 * Issues an edge token for the site (`POST /api/v1/sites/{siteId}/edge-tokens`) and shows the exact
 * command to run on its gateway. The token is shown only here, once; issuing again makes a new one.
 */
export function EdgeTokenPanel({
  admin,
  siteId,
  cloudUrl,
  options,
}: {
  admin: AdminApi;
  siteId: string;
  cloudUrl: string;
  options?: EdgeCommandOptions;
}) {
  const { t } = useI18n();
  const [issued, setIssued] = useState<{ command: string; insecure: boolean }>();
  const [copied, setCopied] = useState(false);
  const action = useAdminAction(t);

  const issue = (): void =>
    void action.run(async () => {
      const { token } = await admin.issueEdgeToken(siteId);
      setIssued(edgeCommand({ siteId, cloudUrl, token, ...options }));
      setCopied(false);
      return t('admin.tokenIssued');
    });
  const copy = (): void => {
    if (!issued) return;
    void navigator.clipboard?.writeText(issued.command).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };

  return (
    <section aria-labelledby="admin-edge" data-testid="admin-edge">
      <h2 id="admin-edge">{t('admin.edge')}</h2>
      <p className="muted">{t('admin.edgeHelp')}</p>
      <div>
        <button
          type="button"
          className="btn btn-primary"
          onClick={issue}
          disabled={action.busy}
          data-testid="admin-edge-issue"
        >
          {t('admin.issueToken')}
        </button>
      </div>
      {issued && (
        <>
          <label>
            {t('admin.edgeCommand')}
            <textarea
              className="mono small"
              readOnly
              rows={4}
              value={issued.command}
              onFocus={(e) => e.currentTarget.select()}
              data-testid="admin-edge-command"
            />
          </label>
          {issued.insecure && <p className="error-text">{t('admin.insecureCloud')}</p>}
          <div>
            <button type="button" className="btn" onClick={copy} data-testid="admin-edge-copy">
              {copied ? t('admin.copied') : t('admin.copy')}
            </button>
          </div>
        </>
      )}
      <Outcome done={action.done} error={action.error} testId="admin-edge" />
    </section>
  );
}
