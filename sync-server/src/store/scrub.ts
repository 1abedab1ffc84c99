export { scrubFreePages, withSecureDelete } from '@cr/store-kit';
