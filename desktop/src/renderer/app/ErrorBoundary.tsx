import { Component, type ErrorInfo, type ReactNode } from 'react';

/**
 * Last line of defence: a rendering bug shows a reload button instead of a blank screen. In
 * Electron the main process also reloads a crashed renderer.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('console view failed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="fatal" role="alert" data-testid="fatal-error">
        <h1>화면 오류 / Display error</h1>
        <p>{this.state.error.message}</p>
        <button type="button" className="btn btn-primary btn-large" onClick={() => window.location.reload()}>
          다시 불러오기 / Reload
        </button>
      </div>
    );
  }
}
