-- Logo and revenue retention of each signup cohort (all customers) by months since its first month: the
-- rows of a cohort heat map (cohort_month down, months_since across).
SELECT cohort_month,
       months_since,
       cohort_customers,
       logo_retention_rate,
       revenue_retention_rate
FROM cohort_retention_current
WHERE dimension = 'all'
ORDER BY cohort_month, months_since
