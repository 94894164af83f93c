-- The MRR bridge of every month (all customers): start, each movement, end. A waterfall plots, for one month,
-- mrr_start, +new, +expansion, +reactivation, -contraction, -churned and mrr_end.
SELECT period_month,
       mrr_start,
       mrr_new,
       mrr_expansion,
       mrr_reactivation,
       -mrr_contraction AS mrr_contraction,
       -mrr_churned     AS mrr_churned,
       mrr_end,
       nrr,
       grr
FROM revenue_monthly_current
WHERE dimension = 'all'
ORDER BY period_month
