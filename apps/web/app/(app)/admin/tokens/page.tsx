import type { Metadata } from 'next';
import { TokensAdmin } from '../../../../src/components/admin/tokens-admin';

export const metadata: Metadata = { title: 'API tokens' };

export default function TokensPage() {
  return <TokensAdmin />;
}
