from django.db.models import DateField, Exists, Func, OuterRef, Q

from linli.core.querysets import ScopedQuerySet, denormalised_scope


class AddDays(Func):
    """date + n days, computed by the database (n may be a column or a subquery)."""

    arity = 2
    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL: date + integer is a date.
        return super().as_sql(compiler, connection, template="(%(expressions)s)::integer)", arg_joiner=" + (", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra
        )


class VisitQuerySet(ScopedQuerySet):
    perm_subject = "visit"
    scope_paths = denormalised_scope()


class VisitAlertQuerySet(ScopedQuerySet):
    perm_subject = "visit"
    scope_paths = denormalised_scope("resident__")

    def unresolved(self):
        return self.filter(resolved=False)


class FieldNoteQuerySet(ScopedQuerySet):
    """民情日记 by the note's own area; a note without a grid is seen at community level and above."""

    perm_subject = "diary"
    scope_paths = {
        "street": "street_id",
        "community": "community_id",
        "grid": "grid_id",
    }

    def tagged(self, tag: str):
        """Notes carrying exactly this tag."""
        tag = (tag or "").strip()
        return self.filter(tags__contains=f",{tag},") if tag else self

    def search(self, text: str):
        """Every word must appear in the text, a tag or a linked resident's name."""
        for word in (text or "").split():
            links = self.model.residents.through.objects.filter(
                fieldnote_id=OuterRef("pk"), resident__name__contains=word
            )
            self = self.filter(Q(text__icontains=word) | Q(tags__icontains=word) | Exists(links))
        return self
