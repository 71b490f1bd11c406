"""The shop's allauth adapter: allauth's messages (verification, password reset, "an
account already exists") go through jobs.email.send_email, so they are queued and sent
once the transaction commits, like every other email the shop sends."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMultiAlternatives

from jobs.email import send_email


class ShopAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's message as it would, then hand it to the queue."""
        request = self.request
        ctx = {"request": request, "email": email, **context}
        ctx.setdefault("current_site", _current_site(request))
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        if isinstance(message, EmailMultiAlternatives):
            html = next(
                (body for body, mimetype in message.alternatives if mimetype == "text/html"), ""
            )
        body = message.body
        if message.content_subtype == "html":
            body, html = "", message.body
        send_email(to=list(message.to), subject=message.subject, body=body, html=html)


def _current_site(request):
    from django.contrib.sites.shortcuts import get_current_site

    return get_current_site(request)
