// Replaced by the real SMART launch (issue 3).
document.getElementById('launch-status')?.setAttribute('data-state', 'pending');
