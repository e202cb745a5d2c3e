import { BankSummaryCard } from '../components/BankSummaryCard';
import { BankImportCard } from '../components/BankImportCard';
import { api } from '../api';
import { useLoader } from '../hooks';

export function BankPage() {
  const summary = useLoader((signal) => api.bankSummary(signal), []);
  return (
    <>
      <BankSummaryCard summary={summary} />
      <BankImportCard onImported={summary.reload} />
    </>
  );
}
