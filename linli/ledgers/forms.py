from linli.areas.forms import CommunityFileForm


class ImportUploadForm(CommunityFileForm):
    """A resident ledger to import into a community of the user's scope (linli.areas.forms.CommunityFileForm)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "台账文件"
