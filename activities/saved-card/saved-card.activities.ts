import { log } from '@temporalio/activity';
import type { TokenNotification } from '@tlo/domain';
import type { SavedCardRepository, ShopRepository } from '@tlo/persistence';
import type { SignedWebhookSender } from '../webhooks/signed-webhook';

export interface SavedCardDeps {
  shops: ShopRepository;
  savedCards: SavedCardRepository;
  webhooks: SignedWebhookSender;
}

export function createSavedCardActivities(deps: SavedCardDeps) {
  return {
    /**
     * Sends a token notification (IPN) to the shop's URL, signed with the shop's secret, with the
     * token's masked data. Throws on a non-2xx answer so the retry policy tries again; a shop without
     * a notification URL gets none.
     */
    async notifyShop(notification: TokenNotification): Promise<'DELIVERED' | 'NO_URL'> {
      const target = await deps.shops.notificationTarget(notification.shopId);
      if (!target) {
        log.info('token notification not sent: the shop has no notification URL', {
          shopId: notification.shopId,
          event: notification.event,
        });
        return 'NO_URL';
      }
      const card = await deps.savedCards.find(notification.paymentMethodToken);
      await deps.webhooks.post(
        target.url,
        target.secret,
        {
          ...notification,
          token: card && {
            brand: card.brand,
            maskedPan: card.maskedPan,
            expiryMonth: card.expiryMonth,
            expiryYear: card.expiryYear,
          },
        },
        { 'x-notification-id': notification.notificationId },
      );
      log.info('token notification delivered', {
        shopId: notification.shopId,
        event: notification.event,
        paymentMethodToken: notification.paymentMethodToken,
      });
      return 'DELIVERED';
    },

    /** Erases the saved card's PAN ciphertext for good; masked data and audit stay. Idempotent. */
    async purgeSavedCardData(args: { paymentMethodToken: string }): Promise<void> {
      await deps.savedCards.purge(args.paymentMethodToken, new Date());
      log.info('saved card data purged', { paymentMethodToken: args.paymentMethodToken });
    },
  };
}
