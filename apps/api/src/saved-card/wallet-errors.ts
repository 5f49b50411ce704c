import { TOKEN_NOT_USABLE_MESSAGES } from '@tlo/workflows';
import { ApiError } from '../http/api-error';

/**
 * The customer wallet's contract errors (Lyra V4 and the token lifecycle), each with its HTTP status
 * and the request field at fault. Mapped once here, answered in the V4 envelope by `V4ErrorFilter`.
 */
const WALLET_ERRORS = {
  TOKEN_PAYMENT_OPTION_DISABLED: {
    status: 403,
    message: "the shop's offer does not include payment by token",
  },
  CUSTOMER_REFERENCE_REQUIRED: {
    status: 400,
    message: 'formAction CUSTOMER_WALLET requires customer.reference',
  },
  UNKNOWN_TOKEN: { status: 404, message: 'no such payment method token for this shop' },
  // The token's own refusals, declared with the saved card's failures.
  TOKEN_CANCELLED: { status: 409, message: TOKEN_NOT_USABLE_MESSAGES.CANCELLED },
  TOKEN_EXPIRED: { status: 409, message: TOKEN_NOT_USABLE_MESSAGES.EXPIRED },
  TOKEN_PURGED: { status: 409, message: TOKEN_NOT_USABLE_MESSAGES.PURGED },
  BUYER_DELETION_NOT_ALLOWED: {
    status: 403,
    message: 'this shop does not let buyers delete saved cards: the buyer must contact the merchant',
  },
  BRAND_NOT_ELIGIBLE: { status: 400, message: 'this card brand cannot be used here' },
  INVALID_PAN: { status: 400, message: 'the card number is invalid' },
  CARD_EXPIRED: { status: 400, message: 'the card has expired' },
  PAYMENT_METHOD_REQUIRED: { status: 400, message: 'send either card or paymentMethodToken' },
  UNKNOWN_FORM: { status: 404, message: 'no such formToken' },
  FORM_EXPIRED: { status: 409, message: 'the form has expired: create a new formToken' },
  FORM_IN_PROGRESS: { status: 409, message: 'this form is being submitted; retry shortly' },
} as const;

export type WalletErrorCode = keyof typeof WALLET_ERRORS;

export function walletError(code: WalletErrorCode, field?: string, detail?: string): ApiError {
  const { status, message } = WALLET_ERRORS[code];
  return new ApiError(status, {
    code,
    message,
    ...(field ? { field } : {}),
    ...(detail ? { details: detail } : {}),
  });
}
