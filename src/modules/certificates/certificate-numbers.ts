/**
 * SEC-1: how a certificate number is kept. The number is the holder's citizen ID plus the category
 * and level digits (ID-2), so it is stored only as a keyed blind index (exact lookup, uniqueness)
 * and a masked form for lists; the full number is rebuilt from the person's encrypted ID when an
 * authorised view or a printed card needs it.
 */
import { maskCertificateNumber } from '../../domain/certificate-number.js';
import type { FieldCrypto } from '../../platform/crypto.js';

export const certificateNumberIndex = (crypto: FieldCrypto, number: string) => crypto.blindIndex('certificate-number', number.toUpperCase());

export const certificateNumberColumns = (crypto: FieldCrypto, number: string) => ({
  bidx: certificateNumberIndex(crypto, number),
  masked: maskCertificateNumber(number.toUpperCase()),
});

/** The full number of a certificate, from the holder's decrypted ID and the readable digits. */
export const fullCertificateNumber = (citizenId: string, category: number, level: number) => `${citizenId}${category}${level}`;
