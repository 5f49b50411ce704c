// The public test cards the demo registers and pays with. Their numbers go into request bodies only:
// the demo never prints a request body, and the API answers with masked numbers or last four digits.

/** The issuer's card of the push and manual provisioning walkthroughs (Mastercard). */
const ISSUER_CARD_PAN = '5555555555554444';
/** The card a buyer types into a shop's payment form (VISA). */
const SHOPPER_CARD_PAN = '4111111111111111';

/** A card for the issuer's registry, `POST /cards` (README, "Try it"). */
function issuerCard(extra = {}) {
  return {
    pan: ISSUER_CARD_PAN,
    expiryMonth: 12,
    expiryYear: 2030,
    holderName: 'MARIA DA SILVA',
    phoneNumber: '23415162342',
    address: {
      zipCode: '05402100',
      address: 'Rua 6 de Março',
      number: '2500',
      neighborhood: 'Alter do Chão',
      complement: '',
      city: 'Santarém',
      state: 'PA',
      country: 'Brasil',
    },
    ...extra,
  };
}

/** What the buyer types into the payment form (the CVV is checked for form, never stored). */
const shopperCard = () => ({ pan: SHOPPER_CARD_PAN, expiryMonth: 12, expiryYear: 2030, cvv: '123' });

module.exports = { ISSUER_CARD_PAN, SHOPPER_CARD_PAN, issuerCard, shopperCard };
