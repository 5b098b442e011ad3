from oscar.apps.payment.abstract_models import AbstractSourceType


class SourceType(AbstractSourceType):
    """Oscar's payment source type, shown by its code's name in the active language.

    The stored name is Vietnamese (the dashboard's); the thank-you page and the order pages
    print the source type, so English pages would otherwise show "Thanh toán khi nhận hàng".
    """

    def __str__(self):
        from storefront.payment.facade import METHOD_NAMES

        name = METHOD_NAMES.get(self.code)
        return str(name) if name is not None else self.name


from oscar.apps.payment.models import *  # noqa: E402,F403
