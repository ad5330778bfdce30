export { appConfig as default } from '../../tsup.base.js';
