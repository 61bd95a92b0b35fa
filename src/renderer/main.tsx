import { createRoot } from 'react-dom/client';
// The cascade runs base, then layout, then shared components, then each view's own file (imported
// by the view, so after these): keep these three first.
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import { App } from './App.tsx';

const root = document.getElementById('root');
if (root !== null) createRoot(root).render(<App />);
