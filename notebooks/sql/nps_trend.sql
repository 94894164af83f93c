-- NPS per month (all customers, every touchpoint together) with its 95% margin of error: plot nps with a band
-- from nps - nps_margin_of_error to nps + nps_margin_of_error.
SELECT period_month,
       responses,
       nps,
       nps_margin_of_error,
       nps - nps_margin_of_error AS nps_low,
       nps + nps_margin_of_error AS nps_high
FROM nps_monthly_current
WHERE dimension = 'all' AND touchpoint = 'all'
ORDER BY period_month
