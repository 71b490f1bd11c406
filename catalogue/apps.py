from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from catalogue import models
        from catalogue.search import repair_search_index
        from catalogue.version import catalogue_changed

        for model in [
            models.Imprint,
            models.Subject,
            models.Author,
            models.Book,
            models.Contribution,
            models.Review,
        ]:
            post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"cache-{model}")
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"cache-del-{model}")
        m2m_changed.connect(
            catalogue_changed, sender=models.Book.subjects.through, dispatch_uid="cache-m2m"
        )
        post_migrate.connect(repair_search_index, sender=self, dispatch_uid="search-index")
