-- Does the health score predict churn: churn rate by band after each month-end snapshot, and the AUC and
-- red/green lift of the snapshot (band 'all').
SELECT b.snapshot_date,
       b.band,
       b.customers,
       b.churn_rate,
       a.auc,
       a.red_over_green_lift_ratio
FROM health_backtest_current b
JOIN health_backtest_current a ON a.snapshot_date = b.snapshot_date AND a.band = 'all'
WHERE b.band <> 'all'
ORDER BY b.snapshot_date, b.band
