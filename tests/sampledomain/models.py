from django.db import models


class Loan(models.Model):
    """A book lent by a union's workers' library."""

    union = models.ForeignKey(
        "organisation.Union", verbose_name="工会", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("书名", max_length=100)
    borrower = models.CharField("借阅人", max_length=50)
    lent_on = models.DateField("借出日期")
    due_on = models.DateField("应还日期")
    returned_on = models.DateField("归还日期", null=True, blank=True)
    # The loans list this loan came from (undo removes what an import created).
    import_batch = models.ForeignKey(
        "core.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    scope_lookup = "union__path"

    class Meta:
        verbose_name = "借阅记录"
        verbose_name_plural = "借阅记录"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("lent_on")), name="loan_due_after_lent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.borrower}）"


class Renewal(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="renewals")
    until = models.DateField("续借至")

    class Meta:
        verbose_name = "续借"
        verbose_name_plural = "续借"

    def __str__(self) -> str:
        return f"{self.loan} → {self.until}"
