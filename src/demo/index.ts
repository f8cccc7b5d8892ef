// What other folders use of demo/ (only the CLI may).
export { runDemo } from './run-demo';
