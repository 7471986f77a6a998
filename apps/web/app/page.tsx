import { redirect } from 'next/navigation';

/** The product's home is the Event Monitor; the system status moved to /status. */
export default function Home() {
  redirect('/event-monitor');
}
