from django.db.models import DateField, Func

from linli.core.querysets import ScopedQuerySet


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
    scope_paths = {
        "street": "street_id",
        "community": "community_id",
        "grid": "grid_id",
        "building": "building_id",
    }


class VisitAlertQuerySet(ScopedQuerySet):
    perm_subject = "visit"
    scope_paths = {
        "street": "resident__street_id",
        "community": "resident__community_id",
        "grid": "resident__grid_id",
        "building": "resident__building_id",
    }

    def unresolved(self):
        return self.filter(resolved=False)
