# The admin shows a saved date, and its calendar writes the day picked, in the first
# of these: the way Japanese staff write a date. What staff type is read by
# activities.dates.parse_date, which takes this form and many more.
DATE_INPUT_FORMATS = ["%Y/%m/%d", "%Y-%m-%d"]
