// Draws the dashboard's charts from the JSON the page carries (json_script, no inline code).
(() => {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  Chart.defaults.animation = reduceMotion ? false : Chart.defaults.animation;
  Chart.defaults.maintainAspectRatio = false;
  const colours = { primary: "#0d6efd", teal: "#20c997", orange: "#fd7e14", purple: "#6f42c1" };

  const draw = (id, config) => {
    const canvas = document.getElementById(id);
    if (canvas) {
      new Chart(canvas, config);
    }
  };

  draw("chart-sessions", {
    type: "bar",
    data: {
      labels: data.months,
      datasets: [
        { label: data.labels.sessions, data: data.sessions, backgroundColor: colours.primary, yAxisID: "y" },
        { label: data.labels.hours, data: data.hours, type: "line", borderColor: colours.orange,
          backgroundColor: colours.orange, yAxisID: "hours" },
      ],
    },
    options: {
      scales: {
        y: { beginAtZero: true, position: "left", ticks: { precision: 0 } },
        hours: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } },
      },
    },
  });

  draw("chart-satisfaction", {
    type: "line",
    data: {
      labels: data.months,
      datasets: [
        { label: data.labels.satisfaction, data: data.satisfaction, borderColor: colours.teal,
          backgroundColor: colours.teal, spanGaps: true },
        { label: data.labels.confidence, data: data.confidence, borderColor: colours.purple,
          backgroundColor: colours.purple, spanGaps: true },
      ],
    },
    options: { scales: { y: { min: 1, max: 5 } } },
  });

  draw("chart-uplift", {
    type: "bar",
    data: {
      labels: data.uplift.labels,
      datasets: [
        { label: data.labels.mentee, data: data.uplift.mentee, backgroundColor: colours.primary },
        { label: data.labels.mentor, data: data.uplift.mentor, backgroundColor: colours.orange },
      ],
    },
    options: { scales: { y: { suggestedMin: 0, suggestedMax: 2 } } },
  });

  draw("chart-funnel", {
    type: "bar",
    data: {
      labels: data.funnel.labels,
      datasets: [{ label: data.labels.people, data: data.funnel.values, backgroundColor: colours.teal }],
    },
    options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { display: false } } },
  });
})();
